import type { Deployment } from "../types/deployment";
import type { StoreIdentity } from "../store/repositories/meta";
import type { Address } from "../types/primitives";
// The factory files themselves, not the typechain-types index, which would load (and make ts-node
// compile) every generated factory, OpenZeppelin's included, at each CLI start.
import { AuditorRegistry__factory } from "../../typechain-types/factories/contracts/AuditorRegistry__factory";
import { CandidateRegistry__factory } from "../../typechain-types/factories/contracts/CandidateRegistry__factory";
import { VoteRegistry__factory } from "../../typechain-types/factories/contracts/VoteRegistry__factory";
import { IVotes__factory } from "../../typechain-types/factories/@openzeppelin/contracts/governance/utils/IVotes__factory";
import { LogDecoder } from "./logDecoder";

/**
 * The decoder for a deployment's three registries and its voting token (the fourth source: any
 * ERC-5805 token, read through OpenZeppelin's IVotes ABI), from the compiled ABIs (the TypeChain
 * factories `hardhat compile` generates), never from hand-written ones.
 */
export function registryDecoder(deployment: Deployment): LogDecoder {
  return new LogDecoder([
    { address: lower(deployment.auditorRegistry), abi: AuditorRegistry__factory.abi },
    { address: lower(deployment.candidateRegistry), abi: CandidateRegistry__factory.abi },
    { address: lower(deployment.voteRegistry), abi: VoteRegistry__factory.abi },
    { address: lower(deployment.votingToken), abi: IVotes__factory.abi },
  ]);
}

/** What a data directory is bound to (see StoreIdentity). */
export function storeIdentity(deployment: Deployment): StoreIdentity {
  return {
    chainId: deployment.chainId,
    auditorRegistry: lower(deployment.auditorRegistry),
    candidateRegistry: lower(deployment.candidateRegistry),
    voteRegistry: lower(deployment.voteRegistry),
    deploymentBlock: deployment.deploymentBlock,
    deploymentBlockHash: deployment.deploymentBlockHash.toLowerCase(),
    votingToken: lower(deployment.votingToken),
    votingTokenDeploymentBlock: deployment.votingTokenDeploymentBlock,
  };
}

function lower(address: string): Address {
  return address.toLowerCase() as Address;
}
