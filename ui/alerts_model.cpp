#include "alerts_model.h"
