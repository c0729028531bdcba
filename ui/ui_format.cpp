#include "ui_format.h"
