// tigress-device: the reference TIGRESS device (docs/device.md).
#include "reference/device/cli.h"

int main(int argc, char** argv) { return tigress::device::RunDeviceCli(argc, argv); }
