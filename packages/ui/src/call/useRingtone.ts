'use client';

import { useEffect } from 'react';

/**
 * Plays `src` in a loop while `ringing` is true; stops (and rewinds) the moment it turns false,
 * `src` changes or the component unmounts. `false` plays nothing. The audio element is made in
 * an effect, so nothing happens on the server; a browser that refuses to play before the user
 * interacted with the page just stays silent.
 *
 * @example
 * useRingtone('/sounds/ring.mp3', calls.some((c) => c.state === 'incoming'));
 */
export function useRingtone(src: string | false, ringing: boolean): void {
  useEffect(() => {
    if (src === false || !ringing) return;
    const audio = new Audio(src);
    audio.loop = true;
    // Autoplay policies reject play() until the user has interacted with the page.
    audio.play()?.catch(() => undefined);
    return () => {
      audio.pause();
      audio.currentTime = 0;
    };
  }, [src, ringing]);
}
