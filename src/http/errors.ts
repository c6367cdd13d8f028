/**
 * One place that turns every failure into a reply: `{ code, message }` with a Spanish message and
 * the status of the code table. Never a stack trace, never personal data.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, ERROR_STATUS, type ErrorCode } from '../errors.js';

const PG_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  '23505': { code: 'CONFLICT', message: 'El registro ya existe.' },
  '23503': { code: 'CONFLICT', message: 'El registro hace referencia a datos que no existen o está en uso.' },
  '23514': { code: 'VALIDATION', message: 'Los datos no cumplen las reglas del sistema.' },
  '23502': { code: 'VALIDATION', message: 'Falta un dato obligatorio.' },
  '22P02': { code: 'VALIDATION', message: 'Un dato tiene un formato inválido.' },
  '22001': { code: 'VALIDATION', message: 'Un dato es demasiado largo.' },
  '40001': { code: 'CONFLICT', message: 'Otra operación modificó los mismos datos; intente de nuevo.' },
  '40P01': { code: 'CONFLICT', message: 'Otra operación modificó los mismos datos; intente de nuevo.' },
};

export function replyForError(error: unknown): { status: number; body: { code: string; message: string; details?: unknown } } {
  if (error instanceof AppError) {
    return { status: error.status, body: { code: error.code, message: error.userMessage, ...(error.details ? { details: error.details } : {}) } };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((issue) => ({ path: issue.instancePath || issue.params?.issue?.path?.join('.') || '', message: issue.message }));
    const first = details[0];
    return {
      status: 400,
      body: { code: 'VALIDATION', message: `Datos inválidos${first ? `: ${first.path ? `${first.path} — ` : ''}${first.message}` : '.'}`, details },
    };
  }
  const pgCode = (error as { code?: unknown })?.code;
  if (typeof pgCode === 'string' && PG_ERRORS[pgCode]) {
    const mapped = PG_ERRORS[pgCode]!;
    return { status: ERROR_STATUS[mapped.code], body: { code: mapped.code, message: mapped.message } };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError?.statusCode === 429) {
    return { status: 429, body: { code: 'RATE_LIMITED', message: 'Demasiados intentos. Espere un momento e intente de nuevo.' } };
  }
  if (fastifyError?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { code: 'PAYLOAD_TOO_LARGE', message: 'El archivo o los datos enviados son demasiado grandes.' } };
  }
  if (fastifyError?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Tipo de contenido no admitido.' } };
  }
  if (fastifyError?.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500 && !isResponseSerializationError(error)) {
    return { status: fastifyError.statusCode, body: { code: 'VALIDATION', message: 'La solicitud no es válida.' } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'Ocurrió un error interno. El equipo técnico fue notificado.' } };
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = replyForError(error);
  if (status >= 500) {
    // Log the failure's type and code only: messages of database errors can quote personal data.
    request.log.error({ err: { type: (error as Error)?.name, code: (error as { code?: unknown })?.code, stack: (error as Error)?.stack } }, 'request failed');
  }
  void reply.status(status).send(body);
}
