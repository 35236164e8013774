export { createSocketIoSignaling, type SocketIoSignalingOptions } from './SocketIoSignaling.ts';
