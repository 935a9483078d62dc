import { makeStyles } from '@material-ui/core';
import { LogoMark } from './LogoIcon';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 36,
  },
  text: {
    fill: '#7df3e1',
    fontFamily: 'Helvetica, Arial, sans-serif',
    fontWeight: 700,
  },
});

/** The mark with "Maestro Conductor" beside it, for the open sidebar. */
export const LogoFull = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 170 42"
      role="img"
      aria-label="Maestro Conductor"
    >
      <LogoMark />
      <text x="46" y="18" fontSize="16" className={classes.text}>
        Maestro
      </text>
      <text x="46" y="38" fontSize="16" className={classes.text}>
        Conductor
      </text>
    </svg>
  );
};
