// The post-login trigger as a kit descriptor, over the existing event builder and api recorder (the flow runner
// in run-flow.ts remains the way to run several post-login Actions in binding order).
import type { PostLoginApi, PostLoginEvent } from '../../types/post-login.js';
import { createApiRecorder, type ApiRecorder } from '../api-recorder.js';
import { buildPostLoginEvent } from '../event-builder.js';
import { defineTriggerKit } from '../trigger-kit.js';

export const postLogin = defineTriggerKit<PostLoginEvent, PostLoginApi, ApiRecorder>('post-login', {
  buildEvent: buildPostLoginEvent,
  createRecorder: () => createApiRecorder(),
});
