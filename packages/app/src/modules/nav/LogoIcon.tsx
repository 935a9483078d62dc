import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
  mark: {
    fill: '#7df3e1',
  },
});

/** Maestro Conductor's mark: a conductor's baton over three staff lines. */
export const LogoMark = (props: { className?: string }) => {
  const classes = useStyles();
  return (
    <g className={props.className ?? classes.mark}>
      <rect x="2" y="22" width="36" height="3" rx="1.5" />
      <rect x="2" y="29" width="36" height="3" rx="1.5" />
      <rect x="2" y="36" width="36" height="3" rx="1.5" />
      <rect
        x="17"
        y="-2"
        width="4"
        height="34"
        rx="2"
        transform="rotate(35 19 15)"
      />
      <circle cx="30" cy="6" r="4" />
    </g>
  );
};

export const LogoIcon = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 40 42"
      role="img"
      aria-label="Maestro Conductor"
    >
      <LogoMark />
    </svg>
  );
};
