import { createContext, useContext, type ReactNode } from 'react';
import { RtmProvider } from '@rtm-kit/react';
import type { LiveParameters, LiveWorld } from './world';

const LiveWorldContext = createContext<LiveWorld | null>(null);

/** The story's live world, for components that drive its peers or its server. */
export function useLiveWorld(): LiveWorld {
  const world = useContext(LiveWorldContext);
  if (world === null) throw new Error('`useLiveWorld` must be used in a story with `parameters.live`.');
  return world;
}

/** What every live story renders inside: the story user's `RtmProvider`, logged in through the in-process server. */
export function Live({ world, parameters, children }: { world: LiveWorld; parameters: LiveParameters; children: ReactNode }) {
  return (
    <LiveWorldContext.Provider value={world}>
      <RtmProvider client={world.client} uid={parameters.login === false ? null : world.me} {...(parameters.storeOptions ? { storeOptions: parameters.storeOptions } : {})}>
        {children}
      </RtmProvider>
    </LiveWorldContext.Provider>
  );
}

/** The live world of a story's context (`loaded.live`), in a play function. */
export function worldOf(context: { loaded: Record<string, unknown> }): LiveWorld {
  const world = context.loaded['live'] as LiveWorld | undefined;
  if (world === undefined) throw new Error('This story has no live world: give it `parameters.live`.');
  return world;
}
