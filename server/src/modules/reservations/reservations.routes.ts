import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import {
  CreateTeamReservationBody,
  TeamReservation,
  TeamReservationList,
  CreateReservationBody,
  MyReservationsQuery,
  Reservation,
  ReservationPage,
} from '../../../../shared/contracts/reservations.ts';
import { requireUser, SIGNED_IN } from '../accounts/index.ts';
import type { ReservationsService } from './reservations.service.ts';

export interface ReservationsRoutesOptions {
  reservations: ReservationsService;
}

export const reservationsRoutes: FastifyPluginAsyncZod<ReservationsRoutesOptions> = async (
  app,
  { reservations },
) => {
  const tags = ['reservations'];

  app.post(
    '/api/reservations',
    {
      schema: {
        operationId: 'createReservation',
        summary: 'Get told when tickets for a game are listed',
        errors: ['NOT_FOUND', 'DUPLICATE_RESERVATION', 'RESERVATION_LIMIT', 'GAME_NOT_ON_SALE'],
        tags,
        security: SIGNED_IN,
        body: CreateReservationBody,
        response: { 201: Reservation },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await reservations.create(requireUser(request).id, request.body)),
  );

  app.get(
    '/api/me/reservations',
    {
      schema: {
        operationId: 'listMyReservations',
        summary: 'My reservations',
        tags,
        security: SIGNED_IN,
        querystring: MyReservationsQuery,
        response: { 200: ReservationPage },
      },
    },
    async (request) => reservations.listMine(requireUser(request).id, request.query),
  );

  app.delete(
    '/api/reservations/:id',
    {
      schema: {
        operationId: 'deleteReservation',
        summary: 'End a reservation',
        tags,
        security: SIGNED_IN,
        params: IdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await reservations.remove(requireUser(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  // Team alerts (issue 21 item 12).
  app.post(
    '/api/team-reservations',
    {
      schema: {
        operationId: 'createTeamReservation',
        summary: "Be told of tickets for a team's games (home or all, up to a price)",
        errors: ['DUPLICATE_RESERVATION', 'RESERVATION_LIMIT'],
        tags,
        security: SIGNED_IN,
        body: CreateTeamReservationBody,
        response: { 201: TeamReservation },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await reservations.createTeam(requireUser(request).id, request.body)),
  );

  app.get(
    '/api/me/team-reservations',
    {
      schema: {
        operationId: 'listMyTeamReservations',
        summary: 'My team alerts',
        tags,
        security: SIGNED_IN,
        response: { 200: TeamReservationList },
      },
    },
    async (request) => reservations.listTeamMine(requireUser(request).id),
  );

  app.delete(
    '/api/team-reservations/:id',
    {
      schema: {
        operationId: 'deleteTeamReservation',
        summary: 'End a team alert',
        tags,
        security: SIGNED_IN,
        params: IdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await reservations.removeTeam(requireUser(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
