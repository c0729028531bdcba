#include "status_figures.h"
