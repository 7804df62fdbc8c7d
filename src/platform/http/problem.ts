import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type ErrorCode, errorStatus, type FieldIssue } from '../errors.ts';

export const problemType = (code: string) => `urn:rapport:problem:${code}`;

const titles: Record<ErrorCode, string> = {
  validation_failed: 'The request is not valid',
  unauthenticated: 'Authentication required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  idempotency_key_in_use: 'A request with this Idempotency-Key is still in progress',
  idempotency_key_reused: 'This Idempotency-Key was used for a different request',
  payload_too_large: 'The request body is too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  invalid_state: 'The change is not possible in the current state',
  internal: 'Internal error',
  unavailable: 'Not ready to serve',
};

/** Fastify's own errors, by their stable codes, mapped onto ours. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_VALIDATION: 'validation_failed',
};

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  issues?: FieldIssue[],
) {
  const status = errorStatus[code];
  return reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: problemType(code),
      title: titles[code],
      status,
      detail,
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...(issues?.length ? { errors: issues } : {}),
    });
}

function classify(error: FastifyError): { code: ErrorCode; detail: string; issues?: FieldIssue[] } {
  if (error instanceof DomainError) return { code: error.code, detail: error.message, issues: error.issues };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const issues = error.validation.map((issue) => ({
      path: `${where}${issue.instancePath.replaceAll('/', '.')}`,
      message: issue.message ?? 'is not valid',
    }));
    return {
      code: 'validation_failed',
      detail: `Invalid ${where}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    };
  }
  const mapped = error.code ? fastifyCodes[error.code] : undefined;
  if (mapped) return { code: mapped, detail: error.message };
  if (error.statusCode === 429) return { code: 'rate_limited', detail: 'Too many requests; try again later' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { code: 'validation_failed', detail: error.message };
  }
  return { code: 'internal', detail: 'Something went wrong on our side; the request id helps us find it' };
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { code, detail, issues } = classify(error);
  if (code === 'internal') request.log.error({ err: error }, 'unhandled error');
  if (code === 'rate_limited' && error.statusCode === 429)
    reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
  return sendProblem(request, reply, code, detail, issues);
}
