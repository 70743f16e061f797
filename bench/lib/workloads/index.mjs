import { attributes } from './attributes.mjs';
import { fanout100, fanout1000 } from './fanout.mjs';
import { idle } from './idle.mjs';
import { login } from './login.mjs';
import { peer } from './peer.mjs';

/** Every workload, in the order a run goes through them. */
export const WORKLOADS = [peer, fanout100, fanout1000, login, idle, attributes];

export function workload(name) {
  const found = WORKLOADS.find((w) => w.name === name);
  if (!found) throw new Error(`unknown workload ${name}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  return found;
}
