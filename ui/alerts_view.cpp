#include "alerts_view.h"
