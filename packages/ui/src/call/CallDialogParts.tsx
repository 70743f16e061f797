'use client';

import * as Dialog from '@radix-ui/react-dialog';
import {
  createContext,
  forwardRef,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  type ComponentPropsWithoutRef,
  type ForwardedRef,
  type MouseEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { useStrings, type RtmStrings } from '../strings.js';
import { isFinal, statusText, titleText, type CallView } from './call-state.js';
import type { UseCallsResult } from './useCalls.js';

/**
 * Headless parts of one call's dialog, on `@radix-ui/react-dialog` (focus trap, portal, scroll
 * lock, aria wiring): no styles, only roles, names, keyboard and focus, and `data-state` (the
 * call's state) and `data-direction` on the stateful parts. `CallDialog` assembles them; use
 * them to build a dialog of your own around `useCalls()`.
 *
 * - `Content` is an `alertdialog` for a received call, a `dialog` for a placed one. It focuses
 *   the primary action when it opens (Accept, Cancel, or Close once the call ended), moves focus
 *   to the new primary action when the state replaces the focused one, and gives focus back to
 *   where it was when it closes. Escape declines a received call, cancels a placed one, and
 *   closes the dialog of an ended one. Clicks outside do nothing: a call needs an answer.
 * - `Accept` / `Decline` render for a received call, `Cancel` while a placed call is calling or
 *   ringing, `Close` once a call ended; otherwise they render nothing.
 *
 * @example
 * const { calls, ...actions } = useCalls();
 * return calls.map((call) => (
 *   <CallDialogPrimitive.Root key={call.id} call={call} actions={actions}>
 *     <CallDialogPrimitive.Portal>
 *       <CallDialogPrimitive.Overlay />
 *       <CallDialogPrimitive.Content>
 *         <CallDialogPrimitive.Title />
 *         <CallDialogPrimitive.Description />
 *         <CallDialogPrimitive.Status />
 *         <CallDialogPrimitive.Accept /> <CallDialogPrimitive.Decline />
 *         <CallDialogPrimitive.Cancel /> <CallDialogPrimitive.Close />
 *       </CallDialogPrimitive.Content>
 *     </CallDialogPrimitive.Portal>
 *   </CallDialogPrimitive.Root>
 * ));
 */

/** What the parts do: `useCalls()`'s actions. */
export type CallActions = Pick<UseCallsResult, 'accept' | 'decline' | 'cancel' | 'close'>;

interface CallPartsContextValue {
  readonly call: CallView;
  readonly strings: RtmStrings;
  readonly actions: CallActions;
  readonly statusId: string;
  /** The button focus goes to: Accept, Cancel or Close, whichever is rendered. */
  readonly primary: RefObject<HTMLButtonElement | null>;
}

const CallPartsContext = createContext<CallPartsContextValue | null>(null);

function useCallParts(part: string): CallPartsContextValue {
  const value = useContext(CallPartsContext);
  if (value === null) throw new Error(`<CallDialogPrimitive.${part}> must be used inside <CallDialogPrimitive.Root>.`);
  return value;
}

/** The outcome of an action arrives as a state change; a refused action (the call ended meanwhile) changes nothing. */
const ignore = () => undefined;

function setRef<T>(ref: ForwardedRef<T>, value: T | null): void {
  if (typeof ref === 'function') ref(value);
  else if (ref !== null) ref.current = value;
}

function mergeRefs<T>(...refs: (ForwardedRef<T> | RefObject<T | null> | undefined)[]): (value: T | null) => void {
  return (value) => {
    for (const ref of refs) if (ref !== undefined) setRef(ref as ForwardedRef<T>, value);
  };
}

export interface RootProps {
  readonly call: CallView;
  readonly actions: CallActions;
  /** Default true: a call's dialog is open while it is rendered. */
  readonly open?: boolean;
  /**
   * Whether the dialog blocks the page (focus trap, the rest hidden from assistive technology,
   * outside clicks ignored). Default: a received call is modal, since it needs an answer now; a
   * placed call is not, so the caller can go on using the app while it rings.
   */
  readonly modal?: boolean;
  /** Strings for the parts' default texts, over those of `RtmStringsProvider`. */
  readonly strings?: Partial<RtmStrings>;
  readonly children?: ReactNode;
}

export function Root({ call, actions, open = true, modal = call.direction === 'incoming', strings: overrides, children }: RootProps): ReactNode {
  const strings = useStrings(overrides);
  const statusId = useId();
  const primary = useRef<HTMLButtonElement | null>(null);
  const value = useMemo(() => ({ call, strings, actions, statusId, primary }), [call, strings, actions, statusId]);
  return (
    <CallPartsContext.Provider value={value}>
      {/* Closing is the call's business (its state, or Close), never Radix's own dismissal. */}
      <Dialog.Root open={open} modal={modal}>
        {children}
      </Dialog.Root>
    </CallPartsContext.Provider>
  );
}

export interface PortalProps {
  /** Where the dialog is put in the document (default: document.body). */
  readonly container?: HTMLElement | null;
  readonly children?: ReactNode;
}

export function Portal({ container, children }: PortalProps): ReactNode {
  return <Dialog.Portal {...(container === undefined ? {} : { container })}>{children}</Dialog.Portal>;
}

export type OverlayProps = ComponentPropsWithoutRef<'div'>;

export const Overlay = forwardRef<HTMLDivElement, OverlayProps>(function Overlay(props, ref) {
  const { call } = useCallParts('Overlay');
  return <Dialog.Overlay data-state={call.state} data-direction={call.direction} {...props} ref={ref} />;
});

export type ContentProps = ComponentPropsWithoutRef<'div'>;

export const Content = forwardRef<HTMLDivElement, ContentProps>(function Content(props, ref) {
  const { call, actions, statusId, primary } = useCallParts('Content');
  const node = useRef<HTMLDivElement | null>(null);
  const returnTo = useRef<Element | null>(null);
  const final = isFinal(call.state);

  // Where focus was when the dialog opened, noted as the content attaches, before anything
  // (Radix's auto-focus, the effect below) moves it inside.
  const attach = useCallback(
    (element: HTMLDivElement | null) => {
      node.current = element;
      setRef(ref, element);
      const active = element?.ownerDocument.activeElement ?? null;
      if (element !== null && active !== null && !element.contains(active)) returnTo.current = active;
    },
    [ref],
  );

  // A state change can remove the focused button (Cancel once declined): focus the new primary.
  // Only when focus was lost that way (it fell back to the page), never taken from elsewhere: a
  // call's card changing state (ringing, declined) while another call's dialog is open must not
  // pull focus out of that dialog.
  useEffect(() => {
    const content = node.current;
    if (content === null) return;
    const doc = content.ownerDocument;
    const active = doc.activeElement;
    if (active === content || active === null || active === doc.body) primary.current?.focus();
  }, [call.state, primary]);

  const onEscapeKeyDown = (event: KeyboardEvent) => {
    event.preventDefault();
    if (call.state === 'incoming') actions.decline(call.id).catch(ignore);
    else if (call.state === 'calling' || call.state === 'ringing') actions.cancel(call.id).catch(ignore);
    else if (final) actions.close(call.id);
  };

  return (
    <Dialog.Content
      role={call.direction === 'incoming' ? 'alertdialog' : 'dialog'}
      aria-describedby={call.direction === 'outgoing' || call.state !== 'incoming' ? statusId : undefined}
      data-state={call.state}
      data-direction={call.direction}
      {...props}
      ref={attach}
      onOpenAutoFocus={(event) => {
        if (primary.current === null) return;
        event.preventDefault();
        primary.current.focus();
      }}
      onCloseAutoFocus={(event) => {
        event.preventDefault();
        // Not `instanceof HTMLElement`: the dialog may live in another window's document.
        const target = returnTo.current as (Element & { focus?: () => void }) | null;
        if (target?.isConnected === true && typeof target.focus === 'function') target.focus();
      }}
      onEscapeKeyDown={onEscapeKeyDown}
      onPointerDownOutside={(event) => event.preventDefault()}
      onInteractOutside={(event) => event.preventDefault()}
    />
  );
});

export type TitleProps = ComponentPropsWithoutRef<'h2'>;

/** "Incoming call from alice" / "Calling bob" unless given children. */
export const Title = forwardRef<HTMLHeadingElement, TitleProps>(function Title({ children, ...props }, ref) {
  const { call, strings } = useCallParts('Title');
  return (
    <Dialog.Title {...props} ref={ref}>
      {children ?? titleText(strings, call)}
    </Dialog.Title>
  );
});

export type DescriptionProps = ComponentPropsWithoutRef<'p'>;

/** A received call's content (the caller's text), as the dialog's description; nothing when empty. */
export const Description = forwardRef<HTMLParagraphElement, DescriptionProps>(function Description({ children, ...props }, ref) {
  const { call } = useCallParts('Description');
  const text = children ?? (call.direction === 'incoming' ? call.content : '');
  if (text === '') return null;
  return (
    <Dialog.Description {...props} ref={ref}>
      {text}
    </Dialog.Description>
  );
});

export type StatusProps = ComponentPropsWithoutRef<'p'>;

/** The call's state in words ("Ringing…", "bob is offline"), announced as it changes. */
export const Status = forwardRef<HTMLParagraphElement, StatusProps>(function Status({ children, ...props }, ref) {
  const { call, statusId, strings } = useCallParts('Status');
  return (
    <p role="status" id={statusId} data-state={call.state} {...props} ref={ref}>
      {children ?? statusText(strings, call)}
    </p>
  );
});

export type ActionProps = Omit<ComponentPropsWithoutRef<'button'>, 'type'>;

/** A button's props: `act` runs after the consumer's `onClick` unless that prevented it. */
function actionProps(onClick: ActionProps['onClick'], act: () => void, enabled: boolean) {
  return {
    type: 'button' as const,
    'aria-disabled': enabled ? undefined : true,
    onClick: (event: MouseEvent<HTMLButtonElement>) => {
      onClick?.(event);
      if (!event.defaultPrevented && enabled) act();
    },
  };
}

/** Accepts a received call. Stays (aria-disabled) while the accept is confirmed. */
export const Accept = forwardRef<HTMLButtonElement, ActionProps>(function Accept({ children, onClick, ...props }, ref) {
  const { call, actions, primary, strings } = useCallParts('Accept');
  const action = actionProps(onClick, () => void actions.accept(call.id).catch(ignore), call.state === 'incoming');
  if (call.direction !== 'incoming' || (call.state !== 'incoming' && call.state !== 'connecting')) return null;
  return (
    <button data-state={call.state} {...props} {...action} ref={mergeRefs(ref, primary)}>
      {children ?? strings.accept}
    </button>
  );
});

/** Declines a received call (Escape does too). */
export const Decline = forwardRef<HTMLButtonElement, ActionProps>(function Decline({ children, onClick, ...props }, ref) {
  const { call, actions, strings } = useCallParts('Decline');
  const action = actionProps(onClick, () => void actions.decline(call.id).catch(ignore), call.state === 'incoming');
  if (call.direction !== 'incoming' || (call.state !== 'incoming' && call.state !== 'connecting')) return null;
  return (
    <button data-state={call.state} {...props} {...action} ref={ref}>
      {children ?? strings.decline}
    </button>
  );
});

/** Cancels a placed call while it is calling or ringing (Escape does too). */
export const Cancel = forwardRef<HTMLButtonElement, ActionProps>(function Cancel({ children, onClick, ...props }, ref) {
  const { call, actions, primary, strings } = useCallParts('Cancel');
  const action = actionProps(onClick, () => void actions.cancel(call.id).catch(ignore), true);
  if (call.direction !== 'outgoing' || (call.state !== 'calling' && call.state !== 'ringing')) return null;
  return (
    <button data-state={call.state} {...props} {...action} ref={mergeRefs(ref, primary)}>
      {children ?? strings.cancelCall}
    </button>
  );
});

/** Closes the dialog of a call that ended (Escape does too). */
export const Close = forwardRef<HTMLButtonElement, ActionProps>(function Close({ children, onClick, ...props }, ref) {
  const { call, actions, primary, strings } = useCallParts('Close');
  const action = actionProps(onClick, () => actions.close(call.id), true);
  if (!isFinal(call.state)) return null;
  return (
    <button data-state={call.state} {...props} {...action} ref={mergeRefs(ref, primary)}>
      {children ?? strings.closeCall}
    </button>
  );
});
