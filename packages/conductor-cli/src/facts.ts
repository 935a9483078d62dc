/**
 * Parses `--fact name=value` arguments. A value that reads as a number or a
 * boolean is sent as one; `name:=<json>` sends any JSON (lists, objects);
 * anything else is a string. The backend checks each against the fact's type.
 */
export function parseFactArgument(arg: string): {
  name: string;
  value: unknown;
} {
  const json = /^([^=:]+):=(.*)$/s.exec(arg);
  if (json) {
    try {
      return { name: json[1].trim(), value: JSON.parse(json[2]) };
    } catch (e) {
      throw new Error(
        `--fact ${arg}: the value after := is not JSON (${
          (e as Error).message
        })`,
      );
    }
  }
  const eq = arg.indexOf('=');
  if (eq <= 0)
    throw new Error(
      `--fact ${arg}: write it as name=value, e.g. test.coverage=0.83`,
    );
  const name = arg.slice(0, eq).trim();
  const raw = arg.slice(eq + 1);
  if (raw === 'true' || raw === 'false') return { name, value: raw === 'true' };
  if (raw.trim() !== '' && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(raw.trim()))
    return { name, value: Number(raw) };
  return { name, value: raw };
}
