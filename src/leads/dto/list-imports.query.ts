import { PageQuery } from '../../common/page-query';

export class ListImportsQuery extends PageQuery({ max: 200, default: 50, items: 'Imports' }) {}
