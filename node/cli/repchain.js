#!/usr/bin/env node
// The `repchain` command. The sources are TypeScript; ts-node compiles them on the fly
// (transpile-only: type checking is the job of `npm run typecheck`, not of every start).
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "../../tsconfig.json") });
require("./main").main(process.argv);
