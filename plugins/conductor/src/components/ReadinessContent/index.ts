export { ReadinessContent, ReadinessGauge } from './ReadinessContent';
