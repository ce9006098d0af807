#!/usr/bin/env node
// The hub (our built-in presence gateway), standalone (see README).
import { runEntry } from "./run-entry.mjs";

await runEntry("gateway-cli");
