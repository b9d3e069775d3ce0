import { z } from 'zod';

export const jobIdParams = z.object({ id: z.uuid({ message: 'must be a job id (UUID)' }) });
