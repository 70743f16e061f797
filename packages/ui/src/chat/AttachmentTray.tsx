'use client';

import { useRtmStore, type MediaTransfer } from '@rtm-kit/react';
import { useStrings } from '../strings.js';
import type { PendingAttachment } from './useAttachments.js';
import { CloseIcon } from './icons.js';

export interface AttachmentTrayProps {
  readonly attachments: readonly PendingAttachment[];
  readonly maxBytes: number;
  cancel(id: string): void;
  dismiss(id: string): void;
}

const NO_TRANSFER: MediaTransfer | undefined = undefined;

function UploadProgress({ attachment, cancel }: { readonly attachment: PendingAttachment; cancel(id: string): void }) {
  const strings = useStrings();
  const transfer = useRtmStore((s) => (attachment.transferId === null ? NO_TRANSFER : s.transfers.find((t) => t.id === attachment.transferId)));
  const name = attachment.fileName === '' ? strings.unnamedFile : attachment.fileName;
  const total = transfer?.totalSize || attachment.size || 1;
  return (
    <>
      <span className="rtm-chat-attachment-name">{name}</span>
      <progress className="rtm-chat-progress" aria-label={strings.uploading(name)} max={total} value={transfer?.currentSize ?? 0} />
      <button type="button" className="rtm-button rtm-chat-icon-button" onClick={() => cancel(attachment.id)}>
        <CloseIcon />
        <span className="rtm-visually-hidden">{strings.cancelUpload(name)}</span>
      </button>
    </>
  );
}

/** Attachments on their way: upload progress with Cancel, and refused or failed ones with the reason. */
export function AttachmentTray({ attachments, maxBytes, cancel, dismiss }: AttachmentTrayProps) {
  const strings = useStrings();
  if (attachments.length === 0) return null;
  return (
    <ul className="rtm-chat-uploads">
      {attachments.map((a) => {
        const name = a.fileName === '' ? strings.unnamedFile : a.fileName;
        return (
          <li key={a.id} className="rtm-chat-upload" data-state={a.state}>
            {a.state === 'uploading' ? (
              <UploadProgress attachment={a} cancel={cancel} />
            ) : (
              <>
                <span className="rtm-chat-upload-error" role="alert">
                  {a.state === 'too-large'
                    ? strings.fileTooLarge(name, maxBytes)
                    : a.state === 'empty'
                      ? strings.fileEmpty(name)
                      : strings.uploadFailed(name, a.error ?? '')}
                </span>
                <button type="button" className="rtm-button" onClick={() => dismiss(a.id)}>
                  {strings.dismiss}
                </button>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
