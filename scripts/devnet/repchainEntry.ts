/**
 * The `repchain` command from the devnet's transpiled tree (transpiledTree.ts): the same program
 * as node/cli/repchain.js, without ts-node.
 */
import { main } from "../../node/cli/main";

void main(process.argv);
