import { formatAge } from './format';

/** "3 d" (with an optional suffix), the exact time on hover. */
export function Age(props: { at: string; suffix?: string }) {
  return (
    <span title={props.at}>
      {formatAge(props.at)}
      {props.suffix}
    </span>
  );
}
