// Where the checks take their events from: the fixtures (the user's own from --fixtures DIR where
// it has one, else the built-in one), planned by the very code `wtbhook send <type> --set … --unset …`
// uses, so a printed reproduction sends the same bytes.

import { eventTypes } from "../catalog/catalog.js";
import type { FixtureDir } from "../catalog/fixtures.js";
import { WtbhookError } from "../errors.js";
import type { PlanItem } from "../delivery/plan.js";
import { planSend } from "../delivery/send-plan.js";

/** An event as `wtbhook send` arguments describe it: a type's event, with overrides. */
export interface EventSpec {
  type: string;
  /** `--set path=value` texts, applied in order. */
  set?: readonly string[] | undefined;
  /** `--unset path` texts, applied after the sets (as send does). */
  unset?: readonly string[] | undefined;
}

export interface EventSource {
  /** The event types it has an event for, in catalogue order. */
  types(): readonly string[];
  /** The planned event (bytes and template) for a spec. */
  plan(spec: EventSpec): Promise<PlanItem>;
  /** The arguments after `wtbhook send` that make the same event (with the run's --fixtures, which the command adds). */
  sendArgs(spec: EventSpec): string[];
}

/**
 * The fixtures, exactly as `wtbhook send <type>` delivers them: DIR/<type>.json where the user's
 * folder `dir` has one, else fixtures/<type>.json. The types are the catalogue's: a type only DIR
 * knows is not one the checks are written for.
 */
export function createFixtureSource(dir?: FixtureDir): EventSource {
  return {
    types: () => eventTypes(),
    plan: async (spec) => {
      const items = await planSend(
        {
          types: [spec.type],
          all: false,
          typeFilter: [],
          set: spec.set ?? [],
          unset: spec.unset ?? [],
          ids: { kind: "fresh" },
          fixtures: dir,
        },
        // Fixtures are never read from a named file: nothing to read.
        (name) => Promise.reject(new WtbhookError(`fixture source reads no file (${name})`, { code: "internal" })),
      );
      return items[0]!;
    },
    sendArgs: (spec) => [
      spec.type,
      ...(spec.set ?? []).flatMap((text) => ["--set", text]),
      ...(spec.unset ?? []).flatMap((text) => ["--unset", text]),
    ],
  };
}
