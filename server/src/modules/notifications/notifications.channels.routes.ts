// Web Push subscriptions, per-type channel preferences, the delivery log and the LINE link.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import {
  LineCallbackBody,
  LineLoginStart,
  LineStatus,
  NotificationDeliveries,
  NotificationPreferences,
  PushPublicKey,
  PushSubscriptionBody,
  PushSubscriptionCreated,
  PushSubscriptionList,
  UpdateNotificationPreferencesBody,
} from '../../../../shared/contracts/notification-channels.ts';
import { requireUser, SIGNED_IN } from '../accounts/index.ts';
import type { Channels } from './notifications.channels.ts';

export const channelsRoutes: FastifyPluginAsyncZod<{ channels: Channels }> = async (
  app,
  { channels },
) => {
  const push = ['push'];
  app.get(
    '/api/push/public-key',
    { schema: { tags: push, response: { 200: PushPublicKey } } },
    async () => channels.publicKey(),
  );

  app.post(
    '/api/push/subscriptions',
    {
      schema: {
        tags: push,
        security: SIGNED_IN,
        body: PushSubscriptionBody,
        response: { 200: PushSubscriptionCreated, 201: PushSubscriptionCreated },
      },
    },
    async (request, reply) => {
      const { id, created } = await channels.subscribe(requireUser(request).id, request.body);
      return reply.status(created ? 201 : 200).send({ id });
    },
  );

  app.get(
    '/api/push/subscriptions',
    { schema: { tags: push, security: SIGNED_IN, response: { 200: PushSubscriptionList } } },
    async (request) => channels.listSubscriptions(requireUser(request).id),
  );

  app.delete(
    '/api/push/subscriptions/:id',
    { schema: { tags: push, security: SIGNED_IN, params: IdParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await channels.unsubscribe(requireUser(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  const tags = ['notifications'];
  app.get(
    '/api/me/notification-preferences',
    { schema: { tags, security: SIGNED_IN, response: { 200: NotificationPreferences } } },
    async (request) => channels.preferences(requireUser(request).id),
  );

  app.put(
    '/api/me/notification-preferences',
    {
      schema: {
        tags,
        security: SIGNED_IN,
        body: UpdateNotificationPreferencesBody,
        response: { 200: NotificationPreferences },
      },
    },
    async (request) => channels.updatePreferences(requireUser(request).id, request.body),
  );

  app.get(
    '/api/notifications/:id/deliveries',
    {
      schema: {
        tags,
        security: SIGNED_IN,
        params: IdParams,
        response: { 200: NotificationDeliveries },
      },
    },
    async (request) => channels.deliveries(requireUser(request), request.params.id),
  );

  const line = ['line'];
  app.get(
    '/api/line',
    { schema: { tags: line, security: SIGNED_IN, response: { 200: LineStatus } } },
    async (request) => channels.lineStatus(requireUser(request).id),
  );
  app.post(
    '/api/line/login',
    { schema: { tags: line, security: SIGNED_IN, response: { 200: LineLoginStart } } },
    async (request) => channels.lineLoginStart(requireUser(request).id),
  );
  app.post(
    '/api/line/callback',
    {
      schema: {
        tags: line,
        security: SIGNED_IN,
        body: LineCallbackBody,
        response: { 200: LineStatus },
      },
    },
    async (request) => channels.lineCallback(requireUser(request).id, request.body),
  );
  app.delete(
    '/api/line',
    { schema: { tags: line, security: SIGNED_IN, response: { 204: z.null() } } },
    async (request, reply) => {
      await channels.lineUnlink(requireUser(request).id);
      return reply.status(204).send(null);
    },
  );
};
