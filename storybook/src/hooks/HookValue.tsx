import type { ReactNode } from 'react';

/** JSON for display: functions by name, errors by code and name, Blobs by size. */
function describe(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'function') return `ƒ ${(v as { name?: string }).name || '()'}`;
      if (v instanceof Error) return { name: v.name, message: v.message, ...('code' in v ? { code: (v as { code: unknown }).code } : {}) };
      if (typeof Blob !== 'undefined' && v instanceof Blob) return `Blob(${v.size} bytes)`;
      return v;
    },
    2,
  );
}

/**
 * What a hook returns right now, as it changes: the call as a caption, the value below it, and
 * controls to drive it.
 */
export function HookValue({ call, value, children }: { readonly call: string; readonly value: unknown; readonly children?: ReactNode }) {
  return (
    <figure className="hook-value">
      <figcaption>
        <code>{call}</code>
      </figcaption>
      {children !== undefined && <div className="hook-controls">{children}</div>}
      <pre data-testid="hook-value">{describe(value)}</pre>
    </figure>
  );
}

/** The value a story shows, parsed back, for play functions. */
export function shownValue(canvasElement: HTMLElement): unknown {
  const pre = canvasElement.querySelector('[data-testid="hook-value"]');
  return JSON.parse(pre?.textContent ?? 'null');
}
