import { afterAll, afterEach } from '@jest/globals';
import { takeOpenApiProblems } from '../kit/response-recorder';

/**
 * Every answer of a test app is checked against the served OpenAPI document
 * (test/kit/response-recorder.ts); the test that received a wrong one fails here.
 */
function failOnProblems(): void {
  const problems = takeOpenApiProblems();
  if (problems.length > 0)
    throw new Error(
      `${problems.length} answer(s) differ from the served OpenAPI document:\n${problems.slice(0, 20).join('\n')}`,
    );
}

afterEach(failOnProblems);
afterAll(failOnProblems);
