import type { ErrorCodeName } from '@rtm-kit/protocol';
import { rtmError, type RtmError } from './errors.js';

/** `onOperationProgress`'s argument (1.4.x `MediaOperationProgress`). */
export interface MediaOperationProgress {
  /** Bytes transferred so far. */
  readonly currentSize: number;
  /** Bytes of the whole file. */
  readonly totalSize: number;
}

/**
 * Controls an upload or download (1.4.x `MediaTransferHandler`, spec §2.2).
 *
 * @example
 * const cancel = new AbortController();
 * const message = await client.createMediaMessageByUploading(file, { messageType: 'FILE', fileName: file.name }, {
 *   cancelSignal: cancel.signal,
 *   onOperationProgress: ({ currentSize, totalSize }) => console.log(`${currentSize}/${totalSize}`),
 * });
 */
export interface MediaTransferHandler {
  /** Aborting it stops the transfer, which rejects with `…_INTERRUPTED`. */
  cancelSignal?: AbortSignal;
  /** Called about once a second while bytes move, and once when the last byte is through. */
  onOperationProgress?: (progress: MediaOperationProgress) => void;
}

/** The error codes of one direction (UploadMedia or DownloadMedia group, §8). */
export interface TransferCodes {
  readonly failure: ErrorCodeName;
  readonly timeout: ErrorCodeName;
  readonly interrupted: ErrorCodeName;
  readonly notLoggedIn: ErrorCodeName;
  readonly concurrency: ErrorCodeName;
}

type StopReason = 'interrupted' | 'timeout' | 'notLoggedIn';

/**
 * One transfer's abort signal, stall timer and progress reports. Whatever stops it (the app's
 * cancel signal, a stall, a logout) aborts the same signal that every request of the transfer
 * carries, and `error` then names the right code.
 */
export class Transfer {
  readonly #controller = new AbortController();
  readonly #codes: TransferCodes;
  readonly #stallMs: number;
  readonly #progressMs: number;
  readonly #onProgress: ((progress: MediaOperationProgress) => void) | undefined;
  readonly #cancelSignal: AbortSignal | undefined;
  readonly #onCancel = () => this.stop('interrupted');
  #stopped: StopReason | null = null;
  #stallTimer: ReturnType<typeof setTimeout> | null = null;
  #lastReportAt: number;
  #lastReported = -1;

  constructor(codes: TransferCodes, handler: MediaTransferHandler | undefined, timing: { stallMs: number; progressMs: number }) {
    this.#codes = codes;
    this.#stallMs = timing.stallMs;
    this.#progressMs = timing.progressMs;
    this.#onProgress = handler?.onOperationProgress;
    this.#cancelSignal = handler?.cancelSignal;
    this.#lastReportAt = Date.now();
    this.#cancelSignal?.addEventListener('abort', this.#onCancel);
    if (this.#cancelSignal?.aborted === true) this.stop('interrupted');
  }

  /** Carried by every request of the transfer. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stop the transfer; the first reason wins. */
  stop(reason: StopReason): void {
    if (this.#stopped !== null) return;
    this.#stopped = reason;
    this.#controller.abort();
  }

  /** Throws the stop's error if the transfer was stopped. */
  throwIfStopped(): void {
    if (this.#stopped !== null) throw this.error(null);
  }

  /** (Re)start the stall timer: bytes moved, or a new request went out. */
  touch(): void {
    if (this.#stallTimer !== null) clearTimeout(this.#stallTimer);
    this.#stallTimer = setTimeout(() => this.stop('timeout'), this.#stallMs);
  }

  /** Report progress, at most once per progress interval. */
  progress(currentSize: number, totalSize: number): void {
    const now = Date.now();
    if (now - this.#lastReportAt < this.#progressMs) return;
    this.#report(currentSize, totalSize, now);
  }

  /** The final report: every byte is through. */
  done(totalSize: number): void {
    if (this.#lastReported !== totalSize) this.#report(totalSize, totalSize, Date.now());
  }

  /**
   * The error to reject with: the stop's code if the transfer was stopped (whatever `cause` the
   * aborted request threw), else `cause` itself if it is already an RtmError, else a failure.
   */
  error(cause: unknown): RtmError {
    switch (this.#stopped) {
      case 'interrupted':
        return rtmError(this.#codes.interrupted, 'The transfer was cancelled.');
      case 'timeout':
        return rtmError(this.#codes.timeout, `No bytes moved for ${Math.round(this.#stallMs / 1000)}s.`);
      case 'notLoggedIn':
        return rtmError(this.#codes.notLoggedIn, 'Logged out during the transfer.');
      case null:
        if (isRtmError(cause)) return cause;
        return rtmError(this.#codes.failure, `The transfer failed: ${cause instanceof Error ? cause.message : String(cause)}`);
      default: {
        const unknown: never = this.#stopped;
        return unknown;
      }
    }
  }

  /** Release the timer and the app's signal. */
  close(): void {
    if (this.#stallTimer !== null) clearTimeout(this.#stallTimer);
    this.#stallTimer = null;
    this.#cancelSignal?.removeEventListener('abort', this.#onCancel);
  }

  #report(currentSize: number, totalSize: number, now: number): void {
    this.#lastReportAt = now;
    this.#lastReported = currentSize;
    try {
      this.#onProgress?.({ currentSize, totalSize });
    } catch (error) {
      // An app's listener must not break the transfer.
      console.error('[rtm-kit] onOperationProgress threw', error);
    }
  }
}

function isRtmError(value: unknown): value is RtmError {
  return value instanceof Error && typeof (value as RtmError).codeName === 'string';
}
