// Development entry point: `npm run dev -- <args>` runs the CLI from src/ through tsx.
import { main } from "./cli.js";

await main();
