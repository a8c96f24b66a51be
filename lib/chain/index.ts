import "server-only";

export {
  CHAIN_LABELS,
  type ChainOptions,
  type ChainRequest,
  MAX_HOPS,
  validateChainRequest,
} from "./chain-options";
export {
  type ChainBase,
  type ChainPlan,
  linearPlan,
  type PlannedHop,
  pingPongPlan,
  profilePlan,
} from "./chain-plan";
export { HINTS } from "./hints";
export { type ChainDeps, runChain } from "./run-chain";
export { DEFAULT_SESSION_NAME_TEMPLATE } from "./session-name";
export { prepareChain, startChain } from "./start-chain";
