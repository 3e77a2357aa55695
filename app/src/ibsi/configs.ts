/**
 * The ready IBSI parameter files of the repository's ibsi/ folder, embedded at build time as text
 * (the same bytes `radscore extract -p ibsi/NAME.yaml --standard ibsi` reads).
 */
import ctConfigA from "../../../ibsi/ct-config-A.yaml";
import ctConfigB from "../../../ibsi/ct-config-B.yaml";
import ctConfigC from "../../../ibsi/ct-config-C.yaml";
import ctConfigD from "../../../ibsi/ct-config-D.yaml";
import ctConfigE from "../../../ibsi/ct-config-E.yaml";
import digitalPhantom from "../../../ibsi/digital-phantom.yaml";

export interface ReadyIbsiConfig {
  /** The file name in ibsi/. */
  name: string;
  title: string;
  text: string;
}

export const READY_IBSI_CONFIGS: readonly ReadyIbsiConfig[] = [
  { name: "digital-phantom.yaml", title: "IBSI-1 digital phantom", text: digitalPhantom },
  {
    name: "ct-config-A.yaml",
    title: "CT phantom configuration A (2D, FBS 25 HU)",
    text: ctConfigA,
  },
  {
    name: "ct-config-B.yaml",
    title: "CT phantom configuration B (2D, 2 mm, FBN 32)",
    text: ctConfigB,
  },
  {
    name: "ct-config-C.yaml",
    title: "CT phantom configuration C (3D, 2 mm, FBS 25 HU)",
    text: ctConfigC,
  },
  {
    name: "ct-config-D.yaml",
    title: "CT phantom configuration D (3D, 2 mm, FBN 32)",
    text: ctConfigD,
  },
  {
    name: "ct-config-E.yaml",
    title: "CT phantom configuration E (3D, 2 mm cubic, FBN 32)",
    text: ctConfigE,
  },
];
