import { formatAgo } from './format';

/** "3 d ago" (or "just now"), the exact time on hover. */
export function Age(props: { at: string }) {
  return <span title={props.at}>{formatAgo(props.at)}</span>;
}
