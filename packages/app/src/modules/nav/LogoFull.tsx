import { makeStyles } from '@material-ui/core';
import { LogoMark } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 10,
    color: '#ffffff',
    fontWeight: 600,
    fontSize: 17,
    lineHeight: 1.1,
    whiteSpace: 'nowrap',
  },
});

export const LogoFull = () => {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <LogoMark size={30} />
      <span>
        Developer
        <br />
        Portal
      </span>
    </div>
  );
};
