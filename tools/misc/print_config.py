"""Print a config as it trains: ``python tools/misc/print_config.py CONFIG``.

Unlike mmdet's ``print_config.py``, the box-supervision mixin is applied
first (:func:`mmfvis.apply_box_supervision`), so the printed model has the
box-supervised head and preprocessor and the training pipeline loads no
mask, as ``BoxSupervisedRunner`` builds them.

    python tools/misc/print_config.py configs/mfvis_ytvis.py \
        [--cfg-options ...] [--save-path resolved.py] [--as-written]
"""
import argparse
from typing import List, Optional

from mmengine.config import Config

import mmfvis
from mmfvis.utils import add_cfg_options_argument


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config file')
    add_cfg_options_argument(parser,
                             'override config settings, as in tools/train.py')
    parser.add_argument(
        '--save-path', help='also write the resolved config to this file')
    parser.add_argument(
        '--as-written',
        action='store_true',
        help='print the config without applying the box supervision')
    return parser.parse_args(argv)


def resolved_config(config: str,
                    cfg_options: Optional[dict] = None,
                    as_written: bool = False) -> Config:
    """The config with ``cfg_options`` merged and, unless ``as_written``,
    its box supervision applied."""
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg if as_written else mmfvis.apply_box_supervision(cfg)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    cfg = resolved_config(args.config, args.cfg_options, args.as_written)
    print(cfg.pretty_text)
    if args.save_path:
        cfg.dump(args.save_path)
        print(f'written to {args.save_path}')


if __name__ == '__main__':
    main()
