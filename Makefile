# mmfvis: `make demo` runs the main job, `make test` runs the tests.
# Both build the virtual environment in .venv first when it is missing.
VENV ?= .venv
VPY := $(VENV)/bin/python
INSTALLED := $(VENV)/.mmfvis-installed
# -rs: list each skipped test with its reason (CI shows what did not run)
PYTEST_ARGS ?= -rs

.PHONY: install test test-quick demo lint

install: $(INSTALLED)

$(INSTALLED): setup.cfg setup.py tools/misc/install_env.sh tools/misc/wait_for.sh
	tools/misc/install_env.sh $(VENV)
	@touch $@

test: $(INSTALLED)
	$(VPY) -m pytest tests $(PYTEST_ARGS)

# the suite without the tests marked slow (setup.cfg says which and why)
test-quick: $(INSTALLED)
	$(VPY) -m pytest tests -m "not slow" $(PYTEST_ARGS)

demo: $(INSTALLED)
	$(VPY) tools/demo_shapes.py

lint: $(INSTALLED)
	$(VPY) -m flake8 mmfvis tools tests configs
	$(VPY) -m isort --check-only --diff mmfvis tools tests configs
	$(VPY) -m yapf --diff --recursive mmfvis tools tests configs
