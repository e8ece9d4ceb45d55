// The signals family's validators and types, for the reference implementation and the harness.
import { validatorFor } from './validators.js';
import { ComplexSubject, SimpleSubject, SubjectId } from './src/signals/subject-id.js';
import { SetClaims, SetHeader } from './src/signals/set.js';
import { PushErrorBody } from './src/signals/push-error.js';

export const validateSignals = {
  simpleSubject: validatorFor(SimpleSubject),
  complexSubject: validatorFor(ComplexSubject),
  subjectId: validatorFor(SubjectId),
  setHeader: validatorFor(SetHeader),
  setClaims: validatorFor(SetClaims),
  pushErrorBody: validatorFor(PushErrorBody),
};

export type { SubjectId } from './src/signals/subject-id.js';
export { SIMPLE_SUBJECT_FORMATS, COMPLEX_SUBJECT_MEMBERS } from './src/signals/subject-id.js';
export { SET_ALGORITHMS, type SetAlgorithm, KEY_CARRYING_HEADERS, SET_TYP_PATTERN, type SetHeader, type SetClaims } from './src/signals/set.js';
export { PUSH_ERROR_CODES, type PushErrorCode, type PushErrorBody } from './src/signals/push-error.js';
