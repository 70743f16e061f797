import { describe, expect, it } from 'vitest';
import { RtmErrorCode, errorCodeOf, NativeEnumValue, ConnectionState } from '@rtm-kit/protocol';

describe('error codes (§8)', () => {
  it('carries the numbers of agora-rtm-sdk 1.x', () => {
    expect(RtmErrorCode.LoginError.LOGIN_ERR_TOO_OFTEN).toBe(10);
    expect(RtmErrorCode.JoinChannelError.JOIN_CHANNEL_ERR_ALREADY_JOINED_CHANNEL_OF_SAME_ID).toBe(202);
    expect(RtmErrorCode.AttributeOperationError.ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW).toBe(4);
    expect(RtmErrorCode.PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW).toBe(6);
    expect(RtmErrorCode.DownloadMediaError.DOWNLOAD_MEDIA_ERR_NOT_EXIST).toBe(4);
  });

  it('has unique names across groups so a name alone finds its number', () => {
    const names = Object.values(RtmErrorCode).flatMap((g) => Object.keys(g));
    expect(new Set(names).size).toBe(names.length);
    expect(errorCodeOf('RENEW_TOKEN_ERR_INVALID_TOKEN')).toBe(6);
  });

  it('maps string enums to native numbers', () => {
    expect(ConnectionState.ABORTED).toBe('ABORTED');
    expect(NativeEnumValue.ConnectionState.ABORTED).toBe(5);
    expect(NativeEnumValue.ConnectionChangeReason.TOKEN_EXPIRED).toBe(9);
  });
});
