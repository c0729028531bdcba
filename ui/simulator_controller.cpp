#include "simulator_controller.h"
