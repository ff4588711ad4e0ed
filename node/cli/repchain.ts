#!/usr/bin/env node
// The `repchain` command (package.json `bin`: its build, dist/node/cli/repchain.js). Tests run this
// source file under ts-node; operators run the compiled JavaScript.
import { main } from "./main";

void main(process.argv);
