import { runConductor } from './program';

runConductor(process.argv.slice(2)).then(code => {
  process.exitCode = code;
});
