// The fitter: display widths (wide characters, emoji, combining marks), cutting, shortening by rank, wrapping.
import { beforeAll, describe, expect, it } from "vitest";

import { cutToWidth, displayWidth, fitSegments, loadClusterWidths, terminalLayout, wrapLine } from "../../../src/terminal/fit.js";
import { joinSegments, plainLayout, type Segment } from "../../../src/terminal/line.js";

describe("displayWidth", () => {
  it.each([
    ["ascii", "user.created", 12],
    ["East Asian wide characters count 2", "日本語", 6],
    ["full-width forms count 2", "ＡＢ", 4],
    ["an emoji with emoji presentation counts 2", "a😀b", 4],
    ["wtbhook's own marks count 1", "✓✗✔✖⚠↻→…–·", 10],
    ["colours count 0", "\u001b[32m✓\u001b[39m ok", 4],
    ["Latin with accents", "ünïcødé", 7],
  ])("%s", (_name, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it("never counts less than the terminal shows, even before string-width is loaded", () => {
    // A fresh module state cannot be had here; what matters is the bound, checked against the exact widths below.
    for (const text of ["e\u0301", "👍🏽", "👨‍👩‍👧", "🇩🇪", "✔️", "한"]) expect(displayWidth(text)).toBeGreaterThanOrEqual(1);
  });

  describe("with grapheme clusters (string-width)", () => {
    beforeAll(() => loadClusterWidths());
    it.each([
      ["a combining accent counts 0", "e\u0301e\u0301", 2],
      ["a skin-tone emoji counts 2", "👍🏽", 2],
      ["a family (ZWJ sequence) counts 2", "👨‍👩‍👧", 2],
      ["a flag counts 2", "🇩🇪", 2],
      ["an emoji asked for with U+FE0F counts 2", "✔️", 2],
      ["Hangul jamo forming one syllable count 2", "\u1112\u1161\u11ab", 2],
    ])("%s", (_name, text, width) => {
      expect(displayWidth(text)).toBe(width);
    });

    it("cuts between clusters, never inside one", () => {
      expect(cutToWidth("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", 5)).toBe("👨‍👩‍👧👨‍👩‍👧…");
      expect(cutToWidth("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", 4)).toBe("👨‍👩‍👧…");
      expect(cutToWidth("e\u0301e\u0301e\u0301e\u0301", 3)).toBe("e\u0301e\u0301…");
    });
  });
});

describe("cutToWidth", () => {
  it("leaves text that fits alone", () => {
    expect(cutToWidth("abc", 3)).toBe("abc");
  });

  it("cuts to the width, the ellipsis included", () => {
    expect(cutToWidth("abcdef", 4)).toBe("abc…");
    expect(cutToWidth("abcdef", 1)).toBe("…");
    expect(cutToWidth("abcdef", 0)).toBe("");
  });

  it("does not split a wide character: the cut may be a column short", () => {
    expect(cutToWidth("日本語テキスト", 6)).toBe("日本…");
    expect(displayWidth(cutToWidth("日本語テキスト", 6))).toBe(5);
    expect(cutToWidth("a日本語", 4)).toBe("a日…");
  });
});

describe("fitSegments", () => {
  const line: Segment[] = [
    { text: "12:00:01", rank: 5, whole: true },
    { text: "user.created", gap: "  ", rank: 7, min: 12 },
    { text: "id 42", gap: "  " },
    { text: "john", gap: "  ", rank: 2 },
    { text: "<john@example.com>", gap: " ", rank: 2 },
    { text: "→ 200", gap: "  " },
    { text: "3.2ms", gap: " ", rank: 4, whole: true },
    { text: '{"ok":true,"long":"answer"}', gap: " ", rank: 1 },
    { text: "schema ✓", gap: "  " },
  ];
  const whole = joinSegments(line);

  it("joins the segments whole when they fit", () => {
    expect(fitSegments(line, 200)).toBe(whole);
    expect(whole).toBe('12:00:01  user.created  id 42  john <john@example.com>  → 200 3.2ms {"ok":true,"long":"answer"}  schema ✓');
  });

  it("shortens the lowest rank first, only as much as needed", () => {
    const fitted = fitSegments(line, whole.length - 10);
    expect(fitted).toBe('12:00:01  user.created  id 42  john <john@example.com>  → 200 3.2ms {"ok":true,"long…  schema ✓');
    expect(displayWidth(fitted)).toBe(whole.length - 10);
  });

  it("drops what would keep fewer than 6 columns or must stay whole, with its gap, then goes on by rank", () => {
    // The preview goes (28 columns with its gap), then the email, which would keep 1.
    const fitted = fitSegments(line, 60);
    expect(fitted).toBe("12:00:01  user.created  id 42  john  → 200 3.2ms  schema ✓");
    expect(fitSegments(line, 74)).toBe("12:00:01  user.created  id 42  john <john@example.…  → 200 3.2ms  schema ✓");
    const narrow = fitSegments(line, 40);
    expect(narrow).toBe("user.created  id 42  → 200  schema ✓");
  });

  it("goes below a min only when the line does not fit otherwise, and never touches a segment without a rank", () => {
    expect(fitSegments(line, 36)).toBe("user.created  id 42  → 200  schema ✓");
    expect(fitSegments(line, 30)).toBe("user.…  id 42  → 200  schema ✓");
    expect(fitSegments(line, 10)).toBe("id 42  → 200  schema ✓");
  });

  it("gives back what greedy shortening took but did not need, never past a higher rank", () => {
    // Two facts of one rank: the rightmost goes first, but the first must go too; then the second fits again.
    const facts: Segment[] = [
      { text: "id 1" },
      { text: "0123456789abcdef", gap: "  ", rank: 2, whole: true },
      { text: "4.2ms", gap: "  ", rank: 2, whole: true },
      { text: '{"ok":true}', gap: "  ", rank: 1 },
    ];
    // The preview (rank 1) gave way before them: it stays out although a cut of it would fit now.
    expect(fitSegments(facts, 20)).toBe("id 1  4.2ms");
    expect(fitSegments(facts, 24)).toBe("id 1  0123456789abcdef");
    expect(fitSegments(facts, 29)).toBe("id 1  0123456789abcdef  4.2ms");
    // With room for a useful part of it, the preview is cut rather than left out.
    expect(fitSegments(facts, 38)).toBe('id 1  0123456789abcdef  4.2ms  {"ok":…');
  });

  it("measures wide characters, so a line of CJK facts fits", () => {
    const wide: Segment[] = [
      { text: "id 1", gap: "" },
      { text: "山田太郎 <yamada@example.jp>", gap: "  ", rank: 2 },
      { text: "schema ✓", gap: "  " },
    ];
    const fitted = fitSegments(wide, 24);
    expect(displayWidth(fitted)).toBeLessThanOrEqual(24);
    expect(fitted).toBe("id 1  山田太…  schema ✓");
  });

  it("applies styles after fitting, so colours are neither counted nor cut", () => {
    const red = (text: string): string => `\u001b[31m${text}\u001b[39m`;
    const fitted = fitSegments(
      [
        { text: "✗", style: red },
        { text: "a long message here", gap: " ", rank: 6, style: red },
      ],
      10,
    );
    expect(fitted).toBe(`${red("✗")} ${red("a long…")}`);
    expect(displayWidth(fitted)).toBe(9);
  });

  it("leaves out empty segments and the gap of the first one shown", () => {
    expect(joinSegments([{ text: "" }, { text: "a", gap: "  " }, { text: "", gap: " " }, { text: "b", gap: " " }])).toBe("a b");
  });
});

describe("wrapLine", () => {
  it("breaks at spaces, with a hanging indent", () => {
    expect(wrapLine("  one two three four five", 14, "    ")).toEqual(["  one two", "    three four", "    five"]);
  });

  it("keeps a word wider than the room whole on a line of its own", () => {
    expect(wrapLine("a https://example.com/a/very/long/path b", 12, "  ")).toEqual(["a", "  https://example.com/a/very/long/path", "  b"]);
  });

  it("counts wide characters and ignores colours", () => {
    expect(wrapLine("日本語 日本語 日本語", 14, "")).toEqual(["日本語 日本語", "日本語"]);
    expect(wrapLine("\u001b[2mabc def\u001b[22m ghi", 7, "")).toEqual(["\u001b[2mabc def\u001b[22m", "ghi"]);
  });

  it("leaves no spaces at the end of a line when padding is inside a colour", () => {
    // validate's problem lines: `cyan(pointer.padEnd(n))`, then the message.
    const line = "  a:1:1  \u001b[36m/data       \u001b[39m  missing property";
    expect(wrapLine(line, 20, "    ")).toEqual(["  a:1:1  \u001b[36m/data\u001b[39m", "    missing property"]);
    expect(wrapLine(line, 40, "    ")).toEqual([line]);
    expect(wrapLine(`${line} x`, 36, "    ")).toEqual(["  a:1:1  \u001b[36m/data\u001b[39m         missing", "    property x"]);
  });
});

describe("layouts", () => {
  it("a pipe's layout joins and never wraps", () => {
    expect(plainLayout.columns()).toBeUndefined();
    expect(plainLayout.wrap("x ".repeat(200))).toBe("x ".repeat(200));
  });

  it("a terminal's layout reads the width at each line, so a resize applies to the next one", () => {
    const stream = { isTTY: true, columns: 20, write: () => true };
    const layout = terminalLayout(stream);
    const segments: Segment[] = [{ text: "id 1" }, { text: "a fact that is long", gap: "  ", rank: 2 }];
    expect(layout.line(segments)).toBe("id 1  a fact that i…");
    stream.columns = 12;
    expect(layout.line(segments)).toBe("id 1  a fac…");
    expect(layout.wrap("one two three four")).toBe("one two\n  three four");
  });

  it("takes 80 columns when a terminal reports none", () => {
    expect(terminalLayout({ isTTY: true, columns: 0, write: () => true }).columns()).toBe(80);
  });
});
