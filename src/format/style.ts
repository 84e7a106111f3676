// Colour functions passed into formatters, so that formatters stay pure and testable with colour off.

export interface Style {
  readonly enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
  gray(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const identity = (text: string): string => text;

/** A style that prints no escape sequences: for pipes, NO_COLOR and tests. */
export const plainStyle: Style = {
  enabled: false,
  red: identity,
  green: identity,
  yellow: identity,
  blue: identity,
  magenta: identity,
  cyan: identity,
  gray: identity,
  bold: identity,
  dim: identity,
};
