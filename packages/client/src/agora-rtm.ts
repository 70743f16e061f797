import {
  AreaCode,
  ConnectionChangeReason,
  ConnectionState,
  LegacyAreaCode,
  LocalInvitationFailureReason,
  LocalInvitationState,
  MessageType,
  PeerOnlineState,
  PeerSubscriptionOption,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
  isValidAppId,
} from '@rtm-kit/protocol';
import {
  LOG_FILTER_DEBUG,
  LOG_FILTER_ERROR,
  LOG_FILTER_INFO,
  LOG_FILTER_OFF,
  LOG_FILTER_WARNING,
  type RtmConfig,
} from './config.js';
import { rtmError } from './errors.js';
import { RtmClient } from './rtm-client.js';

const AREA_CODES = new Set<string>(Object.values(AreaCode));
const LEGACY_AREA_CODES = new Set<string>(Object.values(LegacyAreaCode));

let areaConfig: { areaCodes: AreaCode[]; excludedArea?: AreaCode } = { areaCodes: ['GLOBAL'] };

/**
 * Create a client. Multiple clients may coexist; each has its own connection.
 *
 * @param appId 32 letters or digits.
 * @param config 1.x `RtmConfig` plus `serverUrl`, `transport` and `timing`.
 * @param areaCodes Deprecated (1.4.3); validated and otherwise ignored. The 1.x runtime checked
 *   these against `LegacyAreaCode` while its typings asked for `AreaCode`; both are accepted
 *   here, so code that compiled against the typings (`[AgoraRTM.AreaCode.GLOBAL]`) also runs.
 */
function createInstance(appId: string, config?: RtmConfig, areaCodes?: Array<LegacyAreaCode | AreaCode>): RtmClient {
  if (!isValidAppId(appId)) {
    throw rtmError('CREATE_INSTANCE_ERR_INVALID_ARGUMENT', 'The App ID must be a string of 32 letters or digits.');
  }
  if (areaCodes !== undefined) {
    if (!Array.isArray(areaCodes) || areaCodes.length === 0 || !areaCodes.every((c) => LEGACY_AREA_CODES.has(c) || AREA_CODES.has(c))) {
      throw rtmError('CREATE_INSTANCE_ERR_INVALID_ARGUMENT', 'Invalid area codes.');
    }
  }
  return new RtmClient(appId, config);
}

/**
 * Choose the regions to connect to (1.4.3+). A self-hosted server has one location, so the
 * setting is validated like the Web SDK and has no other effect.
 */
function setArea(config: { areaCodes: AreaCode[]; excludedArea?: AreaCode }): void {
  const { areaCodes, excludedArea } = config ?? ({} as typeof config);
  if (!Array.isArray(areaCodes) || areaCodes.length === 0 || !areaCodes.every((c) => AREA_CODES.has(c))) {
    throw rtmError('CREATE_INSTANCE_ERR_INVALID_ARGUMENT', 'Invalid area config: areaCodes must be a non-empty array of AreaCode');
  }
  if (excludedArea !== undefined && (!AREA_CODES.has(excludedArea) || excludedArea === 'GLOBAL' || areaCodes.includes(excludedArea))) {
    throw rtmError('CREATE_INSTANCE_ERR_INVALID_ARGUMENT', 'Invalid area config: excludedArea');
  }
  areaConfig = excludedArea === undefined ? { areaCodes: [...areaCodes] } : { areaCodes: [...areaCodes], excludedArea };
}

/** The area last set with `setArea` (rtm-kit addition, for diagnostics). */
function getArea(): { areaCodes: AreaCode[]; excludedArea?: AreaCode } {
  return areaConfig;
}

/** The 1.x module object: `import AgoraRTM from '@rtm-kit/client'`. */
export const AgoraRTM = {
  createInstance,
  setArea,
  getArea,
  /** The agora-rtm-sdk API level this client implements. */
  VERSION: '1.5.1',
  BUILD: 'rtm-kit-0.1.0',
  END_CALL_PREFIX: 'AgoraRTMLegacyEndcallCompatibleMessagePrefix',
  LOG_FILTER_OFF,
  LOG_FILTER_ERROR,
  LOG_FILTER_WARNING,
  LOG_FILTER_INFO,
  LOG_FILTER_DEBUG,
  ConnectionState,
  ConnectionChangeReason,
  LocalInvitationState,
  LocalInvitationFailureReason,
  RemoteInvitationState,
  RemoteInvitationFailureReason,
  MessageType,
  PeerOnlineState,
  PeerSubscriptionOption,
  AreaCode,
} as const;
