#include "simulator_view.h"
