import { AgoraRTM } from './agora-rtm.js';

/**
 * The entry of the script-tag (UMD) and CommonJS builds: the `AgoraRTM` object itself, as
 * agora-rtm-sdk 1.x ships it: `window.AgoraRTM` after a `<script>`, and the value of
 * `require('@rtm-kit/client')`. The ES module build (`index.ts`) keeps its named exports.
 */
export default AgoraRTM;
