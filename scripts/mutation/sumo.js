#!/usr/bin/env node
// Runs SuMo (npm run test:mutation). SuMo 1.2.1 requires `glob` without declaring it and calls it the glob 7
// way, glob(pattern, callback); this project's tree hoists glob 10, whose glob() returns a promise. The shim
// below gives SuMo the call it expects; everything else is SuMo's own CLI (`sumo <command>`).
"use strict";
const Module = require("node:module");
const { glob, globSync } = require("glob");

function callbackGlob(pattern, options, callback) {
  if (typeof options === "function") [callback, options] = [options, {}];
  glob(pattern, options).then((matches) => callback(null, matches.sort()), callback);
}
callbackGlob.sync = globSync;

// SuMo finds the project through app-root-path, which follows a symlinked node_modules to its real folder:
// pin it to the folder sumo is run from, so a copy of the project never mutates the original.
process.env.APP_ROOT_PATH ??= process.cwd();

const load = Module._load;
Module._load = function loadWithGlobShim(request, parent, isMain) {
  if (request === "glob" && parent?.filename.includes("@morenabarboni")) return callbackGlob;
  return load.call(this, request, parent, isMain);
};
require("@morenabarboni/sumo/index.js");
