// Every failed request answers JSON {code, message} with the status from the one error table: a
// NextbestError as it is, a request the route schemas refuse as BAD_OPTION naming the field, a body over
// the limit as BODY_TOO_LARGE, an unknown route as ROUTE_NOT_FOUND, anything else as INTERNAL without its
// stack (logged when logging is on).
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isNextbestError, NextbestError } from '../core/errors.js';

/** "query.k: Too small: expected number to be >=1" for each issue the schemas found. */
function validationMessage(e: FastifyError): string {
  if (!hasZodFastifySchemaValidationErrors(e)) return e.message.replace(/\.$/, '');
  const where = e.validationContext ?? 'request';
  return e.validation
    .map((v) => {
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return `${where}${path ? `.${path}` : ''}: ${v.message}`;
    })
    .join('; ');
}

/** The error a client is told about, for anything a route or fastify threw. */
function clientError(e: FastifyError, bodyLimit: number): NextbestError | null {
  if (isNextbestError(e)) return e;
  if (e.validation) return new NextbestError('BAD_OPTION', `${validationMessage(e)}; see /openapi.json for the request's schema`);
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new NextbestError('BODY_TOO_LARGE', `the request body is larger than ${bodyLimit} bytes; send smaller batches`);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return new NextbestError('BAD_OPTION', `${e.message.replace(/\.$/, '')}; check the request against /openapi.json`);
  return null;
}

export const sendError = (reply: FastifyReply, e: NextbestError): FastifyReply => reply.status(e.status).send({ code: e.code, message: e.message });

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((e: FastifyError, request, reply) => {
    const known = clientError(e, app.initialConfig.bodyLimit ?? 0);
    if (known) return sendError(reply, known);
    request.log.error(e);
    return sendError(reply, new NextbestError('INTERNAL', 'a fault inside nextbest; the server log has the details'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new NextbestError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; see /docs for the API`)),
  );
}
