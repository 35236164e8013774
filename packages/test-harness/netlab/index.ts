// The NAT lab: network namespaces, routers and links from a small description, and the
// meshmeet processes that run inside them. See README.md.
export { Lab, withLab, sweepStaleLabs, listNamespaces } from './lab.ts';
export { planLab, type LabSpec, type HomeSpec, type NatKind, type HomePlan, type LabPlan, type LinkName, type Impairment } from './plan.ts';
export { netlabUnsupportedReason, turnserverUnsupportedReason, netemAvailable, NetlabCommandError } from './run.ts';
export { spawnIn, spawnTsxIn, type NsProcess, type JsonLine } from './proc.ts';
export { startEcho, startProbeClient, type ProbeClient, type ProbeResult } from './probe.ts';
export { startLabSignaling, startCoturn, waitForPair, LabParticipant, type LabServer, type Coturn, type ParticipantOptions } from './meshProcesses.ts';
