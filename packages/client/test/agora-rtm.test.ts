import { describe, expect, it, vi } from 'vitest';
import AgoraRTM, { RtmClient, RtmErrorCode, RtmInvalidArgumentError } from '@rtm-kit/client';
import { APP_ID } from './helpers.js';

describe('AgoraRTM module (§1)', () => {
  it('creates independent instances for a valid App ID', () => {
    const a = AgoraRTM.createInstance(APP_ID, { serverUrl: 'http://127.0.0.1:1' });
    const b = AgoraRTM.createInstance(APP_ID, { serverUrl: 'http://127.0.0.1:1' });
    expect(a).toBeInstanceOf(RtmClient);
    expect(a).not.toBe(b);
    expect(a.connectionState).toBe('DISCONNECTED');
  });

  it('throws CREATE_INSTANCE_ERR_INVALID_ARGUMENT synchronously for a bad App ID', () => {
    for (const bad of ['', 'short', 'x'.repeat(33), '0123456789abcdef0123456789abcde!', 42 as unknown as string]) {
      let caught: unknown;
      try {
        AgoraRTM.createInstance(bad);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RtmInvalidArgumentError);
      expect(caught).toMatchObject({ code: RtmErrorCode.CreateInstanceError.CREATE_INSTANCE_ERR_INVALID_ARGUMENT });
    }
  });

  it('refuses unknown config keys like the 1.x runtime', () => {
    expect(() => AgoraRTM.createInstance(APP_ID, { nope: true } as never)).toThrow('Invalid RTM config: nope');
    expect(() => AgoraRTM.createInstance(APP_ID, { timing: { nope: 1 } } as never)).toThrow('Invalid RTM config');
    expect(() => AgoraRTM.createInstance(APP_ID, { enableLogUpload: true, enableCloudProxy: false, logFilter: AgoraRTM.LOG_FILTER_WARNING })).not.toThrow();
  });

  it('validates the deprecated area-code argument: legacy codes, and the AreaCode values its typings asked for', () => {
    expect(() => AgoraRTM.createInstance(APP_ID, {}, ['CN', 'GLOB'])).not.toThrow();
    expect(() => AgoraRTM.createInstance(APP_ID, {}, [AgoraRTM.AreaCode.GLOBAL])).not.toThrow();
    expect(() => AgoraRTM.createInstance(APP_ID, {}, [])).toThrow();
    expect(() => AgoraRTM.createInstance(APP_ID, {}, ['MARS' as never])).toThrow();
  });

  it('validates setArea and otherwise ignores it', () => {
    AgoraRTM.setArea({ areaCodes: ['EUROPE', 'ASIA'], excludedArea: 'CHINA' });
    expect(AgoraRTM.getArea()).toEqual({ areaCodes: ['EUROPE', 'ASIA'], excludedArea: 'CHINA' });
    expect(() => AgoraRTM.setArea({ areaCodes: [] })).toThrow('Invalid area config');
    expect(() => AgoraRTM.setArea({ areaCodes: ['MARS' as never] })).toThrow('Invalid area config');
    expect(() => AgoraRTM.setArea({ areaCodes: ['GLOBAL'], excludedArea: 'GLOBAL' })).toThrow('Invalid area config');
    expect(() => AgoraRTM.setArea({ areaCodes: ['ASIA'], excludedArea: 'ASIA' })).toThrow('Invalid area config');
    AgoraRTM.setArea({ areaCodes: ['GLOBAL'] });
  });

  it('exposes the string enums, log filters and version of the 1.x module', () => {
    expect(AgoraRTM.ConnectionState.RECONNECTING).toBe('RECONNECTING');
    expect(AgoraRTM.ConnectionChangeReason.REMOTE_LOGIN).toBe('REMOTE_LOGIN');
    expect(AgoraRTM.RemoteInvitationFailureReason.ACCEPT_FAILURE).toBe('ACCEPT_FAILURE');
    expect(AgoraRTM.LOG_FILTER_OFF).toEqual({ error: false, warn: false, info: false, track: false, debug: false });
    expect(AgoraRTM.LOG_FILTER_WARNING).toMatchObject({ error: true, warn: true, info: false });
    expect(AgoraRTM.VERSION).toMatch(/^1\.\d+\.\d+/);
    expect(AgoraRTM.END_CALL_PREFIX).toBe('AgoraRTMLegacyEndcallCompatibleMessagePrefix');
  });

  it('applies updateConfig and its deprecated alias setParameters at once', () => {
    const client = AgoraRTM.createInstance(APP_ID, { serverUrl: 'http://127.0.0.1:1', logFilter: AgoraRTM.LOG_FILTER_OFF });
    // 1.x ignores keys it does not know here, so an app passing one keeps running.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(() => client.updateConfig({ nope: 1, logFilter: AgoraRTM.LOG_FILTER_OFF } as never)).not.toThrow();
    expect(() => client.updateConfig({ logFilter: 'loud' } as never)).toThrow('Invalid RTM config: logFilter');
    warn.mockRestore();
    client.setParameters({ logFilter: AgoraRTM.LOG_FILTER_OFF });
  });
});

describe('RtmClient as an event emitter', () => {
  it('supports the Node-style emitter methods the 1.x objects inherit', () => {
    const client = AgoraRTM.createInstance(APP_ID, { serverUrl: 'http://127.0.0.1:1' });
    const seen: string[] = [];
    const listener = () => seen.push('on');
    client.on('TokenExpired', listener);
    client.once('TokenExpired', () => seen.push('once'));
    expect(client.listenerCount('TokenExpired')).toBe(2);
    expect(client.emit('TokenExpired')).toBe(true);
    expect(client.emit('TokenExpired')).toBe(true);
    expect(seen).toEqual(['on', 'once', 'on']);
    expect(client.listeners('TokenExpired')).toEqual([listener]);
    expect(client.rawListeners('TokenExpired')).toHaveLength(1);
    client.off('TokenExpired', listener);
    expect(client.listenerCount('TokenExpired')).toBe(0);
    client.on('TokenExpired', listener);
    client.removeAllListeners();
    expect(client.eventNames()).toEqual([]);
    expect(client.setMaxListeners(10).getMaxListeners()).toBe(10);
  });

  it('keeps calling other listeners when one throws', () => {
    const client = AgoraRTM.createInstance(APP_ID, { serverUrl: 'http://127.0.0.1:1' });
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let reached = false;
    client.on('TokenExpired', () => {
      throw new Error('app bug');
    });
    client.on('TokenExpired', () => {
      reached = true;
    });
    client.emit('TokenExpired');
    expect(reached).toBe(true);
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});
