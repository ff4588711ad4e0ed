import { startDevnet, type Devnet } from "../../node/testing/hardhatServer";
import { deployRegistries, type Registries } from "../../node/testing/registries";

/**
 * For the enclosing describe block: the in-process L1 served over HTTP (before) with the registries deployed,
 * stopped after. The fields are filled once `before` has run.
 */
export function useDevnetWithRegistries(): { devnet: Devnet; r: Registries } {
  const held = {} as { devnet: Devnet; r: Registries };
  before(async function () {
    held.devnet = await startDevnet();
    held.r = await deployRegistries();
  });
  after(async function () {
    await held.devnet?.stop();
  });
  return held;
}
