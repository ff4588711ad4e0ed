import { task, types } from "hardhat/config";
import { registries } from "./common";

const STATUS = ["none", "active", "withdrawn", "revoked", "refunded", "slashed"];

task("list-candidates", "Lists registered candidates with their status")
  .addOptionalParam("offset", "first listing index", 0, types.int)
  .addOptionalParam("limit", "how many", 100, types.int)
  .setAction(async (args, hre) => {
    const { candidateRegistry } = await registries(hre);
    const count = await candidateRegistry.candidateCount();
    const page = await candidateRegistry.candidates(args.offset, args.limit);
    const rule = await candidateRegistry.representativeRule();
    console.log(
      `${count} candidates listed; K = min(${rule.maxRepresentatives}, max(${rule.minRepresentatives}, ` +
        `ceil(eligible / ${rule.candidatesPerSeat})))`,
    );
    for (const [i, address] of page.entries()) {
      const c = await candidateRegistry.getCandidate(address);
      console.log(
        [
          String(args.offset + i).padStart(4),
          address,
          STATUS[Number(c.status)].padEnd(9),
          `${hre.ethers.formatEther(c.deposit)} ETH`,
          `operator ${c.operator}`,
          `signing key ${c.signingKey}`,
          `credential until ${new Date(Number(c.credentialExpiry) * 1000).toISOString()}`,
        ].join("  "),
      );
    }
  });
