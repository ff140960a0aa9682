/** Test helpers of the toolkit for other packages' tests (`@careledger/fabric-toolkit/testing`). */
export { commitStatusError, endorseError, evaluateError, serviceError, submitError } from './fabric-errors';
