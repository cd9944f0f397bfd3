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
    {
      schema: {
        operationId: 'getPushPublicKey',
        summary: 'The VAPID public key for Web Push',
        tags: push,
        response: { 200: PushPublicKey },
      },
    },
    async () => channels.publicKey(),
  );

  app.post(
    '/api/push/subscriptions',
    {
      schema: {
        operationId: 'subscribePush',
        summary: "Add this browser's Web Push subscription",
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
    {
      schema: {
        operationId: 'listPushSubscriptions',
        summary: 'My Web Push subscriptions',
        tags: push,
        security: SIGNED_IN,
        response: { 200: PushSubscriptionList },
      },
    },
    async (request) => channels.listSubscriptions(requireUser(request).id),
  );

  app.delete(
    '/api/push/subscriptions/:id',
    {
      schema: {
        operationId: 'unsubscribePush',
        summary: 'Remove a Web Push subscription',
        tags: push,
        security: SIGNED_IN,
        params: IdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await channels.unsubscribe(requireUser(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  const tags = ['notifications'];
  app.get(
    '/api/me/notification-preferences',
    {
      schema: {
        operationId: 'getNotificationPreferences',
        summary: 'Which notifications reach me on which channel',
        tags,
        security: SIGNED_IN,
        response: { 200: NotificationPreferences },
      },
    },
    async (request) => channels.preferences(requireUser(request).id),
  );

  app.put(
    '/api/me/notification-preferences',
    {
      schema: {
        operationId: 'updateNotificationPreferences',
        summary: 'Choose which notifications reach me on which channel',
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
        operationId: 'listNotificationDeliveries',
        summary: 'How a notification was delivered on each channel',
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
    {
      schema: {
        operationId: 'getLineLink',
        summary: 'Whether my LINE account is linked',
        tags: line,
        security: SIGNED_IN,
        response: { 200: LineStatus },
      },
    },
    async (request) => channels.lineStatus(requireUser(request).id),
  );
  app.post(
    '/api/line/login',
    {
      schema: {
        operationId: 'startLineLogin',
        summary: 'Start linking LINE (the LINE Login URL)',
        errors: ['NOT_FOUND', 'SERVICE_UNAVAILABLE'],
        tags: line,
        security: SIGNED_IN,
        response: { 200: LineLoginStart },
      },
    },
    async (request) => channels.lineLoginStart(requireUser(request).id),
  );
  app.post(
    '/api/line/callback',
    {
      schema: {
        operationId: 'finishLineLogin',
        summary: 'Finish linking LINE with the code LINE returned',
        errors: ['LINE_LOGIN_FAILED', 'NOT_FOUND'],
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
    {
      schema: {
        operationId: 'unlinkLine',
        summary: 'Unlink my LINE account',
        tags: line,
        security: SIGNED_IN,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await channels.lineUnlink(requireUser(request).id);
      return reply.status(204).send(null);
    },
  );
};
