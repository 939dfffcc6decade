import { discordFigures } from "./discord.js";
import { marketFigures } from "./market.js";
import { processFigures } from "./process.js";
import { print } from "./stats.js";
import { supervisionFigures } from "./supervision.js";
import { tradingFigures } from "./trading.js";

/** `npm run bench` (add `-- --quick` for fewer trials): one JSON object per figure. */
const quick = process.argv.includes("--quick");
for (const f of await tradingFigures(quick)) print(f);
for (const f of await marketFigures(quick)) print(f);
for (const f of await discordFigures(quick)) print(f);
for (const f of await supervisionFigures(quick)) print(f);
for (const f of await processFigures(quick)) print(f);
process.exit(0);
